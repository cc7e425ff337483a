package io.regmgr.runtime.cdi;

/**
 * What the running part ({@link RegMgrBeans}) needs from the deployment: the declarations and the
 * settings. A bean, added by either CDI front end, so that {@link RegMgrBeans} depends on neither.
 *
 * @param model the services and monitors declared
 * @param settings the connection and embedded-registry settings
 */
record RegMgrDeployment(DeclarationModel model, Settings settings) {
}
