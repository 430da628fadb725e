package com.portaone.nsps.hubspot.inbound;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code /health} is the liveness probe: it fails once the connector reports itself
 * broken (its write dispatcher stopped), so that Kubernetes restarts it.
 */
@SpringJUnitConfig({ ApplicationAvailabilityBean.class, HealthController.class })
class HealthControllerTest {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private HealthController controller;

	@Test
	void healthFollowsLiveness() throws Exception {
		MockMvc mvc = MockMvcBuilders.standaloneSetup(this.controller).build();
		// As Spring Boot publishes once the application has started.
		AvailabilityChangeEvent.publish(this.context, LivenessState.CORRECT);
		mvc.perform(get("/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("ok"));
		AvailabilityChangeEvent.publish(this.context, LivenessState.BROKEN);
		mvc.perform(get("/health"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.status").value("broken"));
		AvailabilityChangeEvent.publish(this.context, LivenessState.CORRECT);
		mvc.perform(get("/health")).andExpect(status().isOk());
	}

}
