package com.portaone.nsps.hubspot.client;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The check of the portal's custom contact properties at start-up.
 *
 * @param create {@code HUBSPOT_CREATE_PROPERTIES}: create missing properties through the
 * Properties API (the token then needs the {@code crm.schemas.contacts.write} scope)
 */
@ConfigurationProperties("connector.hubspot.properties")
record PropertyBootstrapSettings(boolean create) {

}
