/**
 * The wire formats shared by client and server: registry line quoting and the 9P2000 codec. Pure
 * functions, no I/O.
 */
package io.regmgr.runtime.protocol;
