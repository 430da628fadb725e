package com.portaone.nsps.hubspot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ConnectorApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ConnectorApplication.class);
		application.addListeners(new RequiredSettingsCheck());
		application.run(args);
	}

}
