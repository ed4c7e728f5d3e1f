// Courier's reference browser client: follow orders live over STOMP (@stomp/stompjs 7.5.0, global StompJs).
// The JWT travels in the CONNECT frame (Authorization: Bearer ...), not in the WebSocket handshake.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var MAX_DELAY_MS = 30000;
  // ERROR messages after which reconnecting with the same token cannot succeed (docs/CLIENT-PROTOCOL.md, "ERROR frames").
  var TOKEN_ERRORS = /^(missing token|malformed token|invalid token|wrong token issuer|token expired)/;

  var client = null;
  var wanted = false;        // the user wants to be connected
  var attempt = 0;           // reconnect attempts since the last successful CONNECT
  var reconnectTimer = null;
  var lastError = null;

  function setState(state, text) {
    var el = $('state');
    el.className = 'state ' + state;
    el.setAttribute('data-state', state);
    el.textContent = text || state;
    $('connect').disabled = wanted;
    $('disconnect').disabled = !wanted;
  }

  function log(text) {
    var li = document.createElement('li');
    li.textContent = new Date().toISOString().substring(11, 19) + ' ' + text;
    $('log').prepend(li);
  }

  function wsUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  }

  function orderIds() {
    return $('orders').value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function showEvent(source, body) {
    var event;
    try { event = JSON.parse(body); } catch (e) { event = { raw: body }; }
    var li = document.createElement('li');
    li.className = 'event';
    li.setAttribute('data-order', event.orderId || '');
    li.setAttribute('data-status', event.status || '');
    li.textContent = source + ' ' + body;
    $('events').prepend(li);
    if (event.orderId) {
      var card = $('order-' + event.orderId);
      if (!card) {
        card = document.createElement('div');
        card.className = 'card';
        card.id = 'order-' + event.orderId;
        $('order-cards').appendChild(card);
      }
      card.innerHTML = '';
      var title = document.createElement('span');
      title.textContent = 'Order ' + event.orderId;
      var status = document.createElement('b');
      status.className = 'status';
      status.textContent = event.status || '?';
      var at = document.createElement('small');
      at.textContent = event.at || '';
      card.append(title, status, at);
      var none = $('no-orders');
      if (none) { none.remove(); }
    }
  }

  // The last courier-id seen per destination. The first subscription asks for the latest event (courier-last:
  // the card shows the order's current status at once); after a reconnect, on whichever node, it resumes after
  // the last id (courier-since): the events published meanwhile come first, in order, none twice.
  var lastIds = {};

  function follow(destination) {
    var headers = lastIds[destination] ? { 'courier-since': lastIds[destination] } : { 'courier-last': '1' };
    // the RECEIPT's courier-id is where the subscription starts: the position until a message comes
    headers.receipt = 'position-' + destination;
    client.watchForReceipt(headers.receipt, function (r) {
      if (!lastIds[destination] && r.headers['courier-id']) { lastIds[destination] = r.headers['courier-id']; }
    });
    client.subscribe(destination, function (m) {
      if (m.headers['courier-id']) { lastIds[destination] = m.headers['courier-id']; }
      if (m.headers['courier-reset']) { log('history reset on ' + destination + ': ' + m.headers['courier-reset']); return; }
      showEvent((m.headers['courier-retained'] ? 'current status on ' : '') + destination, m.body);
    }, headers);
  }

  function connect() {
    var token = $('token').value.trim();
    if (!token) { setState('disconnected', 'paste or mint a token first'); return; }
    wanted = true;
    attempt = 0;
    open(token);
  }

  function open(token) {
    lastError = null;
    setState(attempt === 0 ? 'connecting' : 'reconnecting', attempt === 0 ? 'connecting…' : 'reconnecting (attempt ' + attempt + ')…');
    client = new StompJs.Client({
      brokerURL: wsUrl(),
      connectHeaders: { Authorization: 'Bearer ' + token },
      heartbeatIncoming: 10000,
      heartbeatOutgoing: 10000,
      reconnectDelay: 0   // reconnection is ours: backoff, and not after a refused token
    });
    client.onConnect = function () {
      attempt = 0;
      setState('connected', 'connected');
      log('CONNECTED to ' + wsUrl());
      orderIds().forEach(function (id) { follow('/topic/orders.' + id); });
      follow('/user/queue/order-updates');
      log('subscribed to ' + orderIds().map(function (id) { return '/topic/orders.' + id; }).concat('/user/queue/order-updates').join(', '));
    };
    client.onStompError = function (frame) {
      lastError = frame.headers.message || 'ERROR';
      log('ERROR from the gateway: ' + lastError);
    };
    client.onWebSocketClose = function (event) {
      var current = client;
      client = null;
      if (current) { current.deactivate(); }
      log('connection closed (code ' + event.code + ')' + (lastError ? ': ' + lastError : ''));
      if (!wanted) { return; }
      if (lastError && TOKEN_ERRORS.test(lastError)) {
        wanted = false;
        setState('refused', 'token refused: ' + lastError);
        return;
      }
      attempt += 1;
      var delay = Math.min(MAX_DELAY_MS, 1000 * Math.pow(2, attempt - 1));
      delay = Math.round(delay * (0.8 + Math.random() * 0.4));   // jitter: clients dropped together do not return together
      setState('reconnecting', (lastError ? 'closed: ' + lastError + '; ' : 'connection lost; ') + 'reconnecting in ' + Math.round(delay / 1000) + ' s');
      reconnectTimer = setTimeout(function () { reconnectTimer = null; if (wanted) { open(token); } }, delay);
    };
    client.activate();
  }

  function disconnect() {
    wanted = false;
    if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; }
    if (client) { client.deactivate(); client = null; }
    setState('disconnected', 'disconnected');
    log('disconnected by you');
  }

  function mint() {
    var query = 'user=' + encodeURIComponent($('mint-user').value.trim()) + '&orders=' + encodeURIComponent($('mint-orders').value.trim());
    fetch('/dev/tokens?' + query, { method: 'POST' })
      .then(function (response) {
        if (response.status === 404) { throw new Error('dev mode is off on this gateway: paste a token from your identity provider'); }
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (body) {
        $('token').value = body.token;
        $('mint-result').textContent = 'token for ' + body.user + ', orders ' + body.orders.join(', ') + ', valid until ' + body.expiresAt;
        if (body.orders.length) { $('orders').value = body.orders.join(','); }
      })
      .catch(function (e) { $('mint-result').textContent = e.message; $('mint-result').className = 'hint error'; });
  }

  $('connect').addEventListener('click', connect);
  $('disconnect').addEventListener('click', disconnect);
  $('mint').addEventListener('click', mint);
  setState('disconnected', 'disconnected');
})();
