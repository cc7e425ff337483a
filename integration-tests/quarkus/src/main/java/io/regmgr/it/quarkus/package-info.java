/** A small Quarkus application using RegMgr: one service, one monitor, its events over REST. */
package io.regmgr.it.quarkus;
