package io.courier.admin.nodes;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import io.courier.admin.cluster.ClusterView;
import io.courier.admin.cluster.NodeView;

/**
 * The overview: gateway nodes (from their heart-beats), RabbitMQ (from the management
 * API) and which gateway connections sit on which broker node ({@link BrokerPlacement}).
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
		List<NodeView> nodes = this.cluster.nodes();
		BrokerHealth broker = this.broker.health();
		model.addAttribute("nodes", nodes);
		model.addAttribute("sessionCount", this.cluster.sessions().size());
		model.addAttribute("userCount", this.cluster.online().size());
		model.addAttribute("broker", broker);
		model.addAttribute("placement", BrokerPlacement.of(nodes, broker));
		return "overview";
	}

}
