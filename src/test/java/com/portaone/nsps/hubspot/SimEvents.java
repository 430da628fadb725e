package com.portaone.nsps.hubspot;

import java.util.Locale;

/**
 * Generates distinct, valid NSPS SIM events shaped like PortaBilling's, for load tests
 * and benchmarks.
 */
public final class SimEvents {

	private SimEvents() {
	}

	public static String email(String run, int n) {
		return "subscriber-" + run + "-" + n + "@example.com";
	}

	/**
	 * The account of subscriber {@code n} of a run: distinct across runs, so that one
	 * run's subscribers are never another's.
	 */
	public static long account(String run, int n) {
		return (Math.floorMod(run.hashCode(), 1_000_000) + 1) * 10_000_000L + n;
	}

	/** A SIM/Created event for subscriber {@code n} of a run. */
	public static String created(String run, int n) {
		return """
				{"event_id":"%1$s-%2$d","data":{"event_type":"SIM/Created","variables":{"i_env":3,"i_event":%2$d,
				"i_account":%3$d,"event_time":"2025-05-01 12:00:00"}},"pb_data":{"account_info":{"billing_model":"credit_account",
				"email":"%4$s","firstname":"First%2$d","lastname":"Last%2$d","phone1":"%5$s","i_account":%3$d,
				"assigned_addons":[{"name":"Video UHD","i_product":3775}],"status":"active"},
				"sim_info":{"i_sim_card":%6$d,"imsi":"%7$s","status":"active"}},"handler_id":"hubspot-contacts","status":"received"}
				"""
			.formatted(run, n, account(run, n), email(run, n), String.format(Locale.ROOT, "555%07d", n), 500_000 + n,
					String.format(Locale.ROOT, "00101%010d", n));
	}

}
