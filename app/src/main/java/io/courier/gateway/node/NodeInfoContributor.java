package io.courier.gateway.node;

import java.util.Map;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** {@code /actuator/info} says which node answered and which broker it relays to. */
@Component
class NodeInfoContributor implements InfoContributor {

	private final GatewayProperties properties;

	NodeInfoContributor(GatewayProperties properties) {
		this.properties = properties;
	}

	@Override
	public void contribute(Info.Builder builder) {
		GatewayProperties.Relay relay = this.properties.relay();
		builder.withDetail("courier", Map.of("node-id", this.properties.nodeId(), "relay",
				String.join(",", relay.brokerAddresses()) + "/" + relay.virtualHost()));
	}

}
