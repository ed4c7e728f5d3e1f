package io.courier.admin.nodes;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import io.courier.admin.cluster.ClusterView;

/**
 * The overview: gateway nodes (from their heart-beats) and RabbitMQ (from the management
 * API).
 */
@Controller
class OverviewController {

	private final ClusterView cluster;

	private final BrokerMonitor broker;

	OverviewController(ClusterView cluster, BrokerMonitor broker) {
		this.cluster = cluster;
		this.broker = broker;
	}

	@GetMapping("/")
	String overview(Model model) {
		model.addAttribute("nodes", this.cluster.nodes());
		model.addAttribute("sessionCount", this.cluster.sessions().size());
		model.addAttribute("userCount", this.cluster.online().size());
		model.addAttribute("broker", this.broker.health());
		return "overview";
	}

}
