package com.portaone.nsps.hubspot.sync;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The stores the sync engine keeps its ordering in.
 */
@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

	@Bean
	OrderingStore orderingStore(RedeliverySettings settings) {
		return new LocalOrderingStore(settings);
	}

}
