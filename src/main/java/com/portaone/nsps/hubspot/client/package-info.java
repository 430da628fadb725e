/**
 * HubSpot CRM: the contacts and properties clients (Spring's {@code RestClient} on Apache
 * HttpClient, each exchange within its deadline), what each HubSpot answer means
 * ({@code Verdict}, chosen by {@code HubSpotAnswers} only), and the request budget shared
 * by every request.
 */
@NullMarked
package com.portaone.nsps.hubspot.client;

import org.jspecify.annotations.NullMarked;
