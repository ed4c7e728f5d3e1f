// Follows orders on a Courier gateway: STOMP over WebSocket with @stomp/stompjs and ws.
//
//   TOKEN=<JWT from POST /dev/tokens> node follow-order.mjs 1001 [1002 ...]
//
// Subscribes /topic/orders.{orderId} for each order given and /user/queue/order-updates (every order of the
// token's user), and prints each message with its destination. Environment: TOKEN (required),
// COURIER_WS_URL (default ws://127.0.0.1:8080/ws). An ERROR frame from the gateway (bad token, forbidden
// destination) is printed and ends the program with exit code 1.
import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';

const token = process.env.TOKEN;
const url = process.env.COURIER_WS_URL ?? 'ws://127.0.0.1:8080/ws';
const orderIds = process.argv.slice(2);

if (!token || orderIds.length === 0) {
  console.error('usage: TOKEN=<JWT> node follow-order.mjs <orderId> [<orderId> ...]');
  process.exit(2);
}

const client = new Client({
  webSocketFactory: () => new WebSocket(url),
  connectHeaders: { Authorization: 'Bearer ' + token },
  heartbeatIncoming: 10000,
  heartbeatOutgoing: 10000,
  reconnectDelay: 5000,
});

const show = (message) => {
  const destination = message.headers.destination;
  const retained = message.headers['courier-retained'] ? ' (current status)' : '';
  let body = message.body;
  try {
    body = JSON.stringify(JSON.parse(body));
  } catch {
    // not JSON: print as is
  }
  console.log(`[${new Date().toISOString()}] ${destination} ${body}${retained}`);
};

// The last courier-id per destination: the first subscription asks for the latest event (courier-last), a
// re-subscription after a reconnect (on any gateway node) resumes after it (courier-since), so nothing published
// while the connection was down is missed, and nothing comes twice.
const lastIds = new Map();

const follow = (destination) => {
  const since = lastIds.get(destination);
  // the RECEIPT's courier-id is where the subscription starts: the position until a message comes
  const receipt = `position-${destination}`;
  client.watchForReceipt(receipt, (frame) => {
    if (!lastIds.has(destination) && frame.headers['courier-id']) {
      lastIds.set(destination, frame.headers['courier-id']);
    }
  });
  client.subscribe(destination, (message) => {
    if (message.headers['courier-id']) {
      lastIds.set(destination, message.headers['courier-id']);
    }
    if (message.headers['courier-reset']) {
      console.log(`[${new Date().toISOString()}] ${destination} history reset: ${message.headers['courier-reset']}`);
      return;
    }
    show(message);
  }, { ...(since ? { 'courier-since': since } : { 'courier-last': '1' }), receipt });
  console.log(`subscribed ${destination}${since ? ` after ${since}` : ''}`);
};

client.onConnect = (frame) => {
  console.log(`connected to ${url} as ${frame.headers['user-name'] ?? 'user'}`);
  for (const orderId of orderIds) {
    follow(`/topic/orders.${orderId}`);
  }
  follow('/user/queue/order-updates');
};

client.onStompError = (frame) => {
  console.error(`ERROR from gateway: ${frame.headers.message}`);
  client.deactivate().finally(() => process.exit(1));
};

client.onWebSocketClose = (event) => {
  if (client.active) {
    console.error(`connection closed (code ${event.code}); reconnecting in 5 s`);
  }
};

const stop = () => client.deactivate().finally(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

client.activate();
