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
  let body = message.body;
  try {
    body = JSON.stringify(JSON.parse(body));
  } catch {
    // not JSON: print as is
  }
  console.log(`[${new Date().toISOString()}] ${destination} ${body}`);
};

client.onConnect = (frame) => {
  console.log(`connected to ${url} as ${frame.headers['user-name'] ?? 'user'}`);
  for (const orderId of orderIds) {
    client.subscribe(`/topic/orders.${orderId}`, show);
    console.log(`subscribed /topic/orders.${orderId}`);
  }
  client.subscribe('/user/queue/order-updates', show);
  console.log('subscribed /user/queue/order-updates');
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
