// A chat client for Courier's rooms: STOMP over WebSocket with @stomp/stompjs and ws.
//
//   TOKEN=<JWT with a rooms claim> node chat.mjs general
//
// Joins /topic/chat.<room>, prints every message with the sender the gateway stamped (courier-sender), and sends
// each line typed on stdin. A line starting with "/ask " is a request to a backend over AMQP instead: SEND
// /app/echo.chat with reply-to /user/queue/replies and a correlation-id; examples/spring-backend answers it.
// Reconnects with backoff (1 s, 2 s ... 30 s, with jitter); an ERROR about the token or the room ends it (exit 1).
// Environment: TOKEN (required), COURIER_WS_URL (default ws://127.0.0.1:8080/ws).
import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';
import readline from 'node:readline';

const token = process.env.TOKEN;
const url = process.env.COURIER_WS_URL ?? 'ws://127.0.0.1:8080/ws';
const room = process.argv[2];
if (!token || !room) {
  console.error('usage: TOKEN=<JWT> node chat.mjs <room>');
  process.exit(2);
}
const destination = `/topic/chat.${room}`;
const FINAL = /^(missing token|malformed token|invalid token|wrong token issuer|token expired|forbidden destination)/;

let attempt = 0;
let requests = 0;
const client = new Client({
  webSocketFactory: () => new WebSocket(url),
  connectHeaders: { Authorization: 'Bearer ' + token },
  heartbeatIncoming: 10000,
  heartbeatOutgoing: 10000,
  reconnectDelay: 1000,
});

client.beforeConnect = () => {
  // exponential backoff with jitter, so clients dropped together do not come back together
  client.reconnectDelay = Math.round(Math.min(30000, 1000 * 2 ** attempt) * (0.8 + Math.random() * 0.4));
  attempt += 1;
};

client.onConnect = () => {
  attempt = 0;
  client.subscribe(destination, (message) => {
    console.log(`${message.headers['courier-sender']}: ${message.body}`);
  });
  client.subscribe('/user/queue/replies', (message) => {
    console.log(`backend (${message.headers['correlation-id']}): ${message.body}`);
  });
  console.log(`joined ${destination} on ${url}; type a line to send it, "/ask <text>" to ask the backend`);
};

client.onStompError = (frame) => {
  const reason = frame.headers.message;
  console.error(`ERROR from gateway: ${reason}`);
  if (FINAL.test(reason)) {
    client.deactivate().finally(() => process.exit(1));
  }
};

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!client.connected || !line.trim()) {
    return;
  }
  if (line.startsWith('/ask ')) {
    requests += 1;
    client.publish({
      destination: '/app/echo.chat',
      body: line.slice(5),
      headers: { 'reply-to': '/user/queue/replies', 'correlation-id': `ask-${requests}`, 'content-type': 'text/plain' },
    });
  } else {
    client.publish({ destination, body: line, headers: { 'content-type': 'text/plain' } });
  }
});

const stop = () => client.deactivate().finally(() => process.exit(0));
lines.on('close', stop);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

client.activate();
