package io.courier.admin.nodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The members of each replicated queue in an {@code /api/queues/<vhost>} answer. RabbitMQ
 * 3.10 can give one queue the key {@code members} twice: the queue's own record, and the
 * statistics its leader last emitted, which still listed a node minutes after
 * {@code rabbitmq-queues shrink} removed it. A tree parser keeps only the last; here a
 * node is a member only if every list of that queue names it, as
 * {@code rabbitmqctl list_queues members} and {@code quorum_status} then say.
 */
final class QueueMembers {

	private static final JsonFactory JSON = new JsonFactory();

	private QueueMembers() {
	}

	/** Queue name → its members; queues without {@code members} (classic) are absent. */
	static Map<String, List<String>> of(String queuesJson) {
		Map<String, List<String>> members = new HashMap<>();
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), queuesJson)) {
			if (parser.nextToken() != JsonToken.START_ARRAY) {
				return members;
			}
			while (parser.nextToken() == JsonToken.START_OBJECT) {
				String name = null;
				List<String> common = null;
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String field = parser.currentName();
					JsonToken value = parser.nextToken();
					if ("name".equals(field) && value == JsonToken.VALUE_STRING) {
						name = parser.getString();
					}
					else if ("members".equals(field) && value == JsonToken.START_ARRAY) {
						List<String> listed = new ArrayList<>();
						for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser
							.nextToken()) {
							if (item == JsonToken.VALUE_STRING) {
								listed.add(parser.getString());
							}
							else {
								parser.skipChildren();
							}
						}
						if (common == null) {
							common = listed;
						}
						else {
							common.retainAll(listed);
						}
					}
					else {
						parser.skipChildren();
					}
				}
				if (name != null && common != null) {
					members.put(name, List.copyOf(common));
				}
			}
		}
		return members;
	}

}
