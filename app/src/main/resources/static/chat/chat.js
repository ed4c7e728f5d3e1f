// Courier's chat reference client (@stomp/stompjs 7.5.0, global StompJs).
// Publishing: SEND /topic/chat.{room}, allowed where the token's rooms claim lists the room. Receivers trust the
// courier-sender header (the sender's sub, stamped by the gateway), never a name in the body.
// Who is in the room: members announce themselves ({"type":"join"}, answered by {"type":"here"}); whether each
// is online comes from /topic/presence.{user}, subscribed with courier-last so the current state comes first.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var MAX_DELAY_MS = 30000;
  // ERROR messages after which reconnecting cannot succeed (docs/CLIENT-PROTOCOL.md, "ERROR frames").
  var FINAL_ERRORS = /^(missing token|malformed token|invalid token|wrong token issuer|token expired|forbidden destination)/;

  var client = null;
  var wanted = false;
  var attempt = 0;
  var reconnectTimer = null;
  var lastError = null;
  var me = null;
  var room = null;
  var members = {};          // user -> { online: bool, subscription }

  function setState(state, text) {
    var el = $('state');
    el.className = 'state ' + state;
    el.setAttribute('data-state', state);
    el.textContent = text || state;
    $('connect').disabled = wanted;
    $('disconnect').disabled = !wanted;
    $('message').disabled = state !== 'connected';
    $('send').disabled = state !== 'connected';
  }

  function log(text) {
    var li = document.createElement('li');
    li.textContent = new Date().toISOString().substring(11, 19) + ' ' + text;
    $('log').prepend(li);
  }

  function wsUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  }

  // The token's subject, to tell one's own messages; the gateway, not this, decides who may do what.
  function subjectOf(token) {
    try {
      var payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload)).sub;
    } catch (e) { return null; }
  }

  function destination() { return '/topic/chat.' + room; }

  function showMessage(sender, text) {
    var li = document.createElement('li');
    li.setAttribute('data-sender', sender);
    var from = document.createElement('span');
    from.className = 'from';
    from.textContent = sender;
    var body = document.createElement('span');
    body.className = 'text';
    body.textContent = text;
    li.append(from, body);
    $('messages').appendChild(li);
  }

  function renderRoster() {
    var list = $('roster');
    list.innerHTML = '';
    Object.keys(members).sort().forEach(function (user) {
      var li = document.createElement('li');
      li.setAttribute('data-user', user);
      li.setAttribute('data-online', String(members[user].online));
      li.textContent = user + (user === me ? ' (you)' : '');
      list.appendChild(li);
    });
  }

  function know(user) {
    if (members[user]) { return; }
    members[user] = { online: user === me };
    if (user !== me) {
      members[user].subscription = client.subscribe('/topic/presence.' + user, function (m) {
        var event = JSON.parse(m.body);
        members[user].online = !!event.online;
        renderRoster();
      }, { 'courier-last': '1' });
    }
    renderRoster();
  }

  function onChat(m) {
    var sender = m.headers['courier-sender'];
    var message;
    try { message = JSON.parse(m.body); } catch (e) { message = { type: 'text', text: m.body }; }
    if (!sender) { return; }
    know(sender);
    if (message.type === 'join' && sender !== me) {
      client.publish({ destination: destination(), body: JSON.stringify({ type: 'here' }), headers: { 'content-type': 'application/json' } });
    } else if (message.type === 'text') {
      showMessage(sender, String(message.text));
    }
  }

  function connect() {
    var token = $('token').value.trim();
    room = $('room').value.trim();
    if (!token || !room) { setState('disconnected', 'a token and a room first'); return; }
    me = subjectOf(token);
    wanted = true;
    attempt = 0;
    open(token);
  }

  function open(token) {
    lastError = null;
    members = {};
    renderRoster();
    setState(attempt === 0 ? 'connecting' : 'reconnecting', attempt === 0 ? 'connecting…' : 'reconnecting (attempt ' + attempt + ')…');
    client = new StompJs.Client({
      brokerURL: wsUrl(),
      connectHeaders: { Authorization: 'Bearer ' + token },
      heartbeatIncoming: 10000,
      heartbeatOutgoing: 10000,
      reconnectDelay: 0   // reconnection is ours: backoff, and not after a refusal
    });
    client.onConnect = function () {
      attempt = 0;
      client.subscribe(destination(), onChat);
      know(me);
      client.publish({ destination: destination(), body: JSON.stringify({ type: 'join' }), headers: { 'content-type': 'application/json' } });
      setState('connected', 'in ' + room + ' as ' + me);
      log('joined ' + destination());
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
      if (lastError && FINAL_ERRORS.test(lastError)) {
        wanted = false;
        setState('refused', 'refused: ' + lastError);
        return;
      }
      attempt += 1;
      var delay = Math.min(MAX_DELAY_MS, 1000 * Math.pow(2, attempt - 1));
      delay = Math.round(delay * (0.8 + Math.random() * 0.4));
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
    log('left the room');
  }

  function send(event) {
    event.preventDefault();
    var text = $('message').value;
    if (!text || !client || !client.connected) { return; }
    client.publish({ destination: destination(), body: JSON.stringify({ type: 'text', text: text }), headers: { 'content-type': 'application/json' } });
    $('message').value = '';
  }

  function mint() {
    var query = 'user=' + encodeURIComponent($('mint-user').value.trim()) + '&rooms=' + encodeURIComponent($('mint-rooms').value.trim());
    fetch('/dev/tokens?' + query, { method: 'POST' })
      .then(function (response) {
        if (response.status === 404) { throw new Error('dev mode is off on this gateway: paste a token from your identity provider'); }
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (body) {
        $('token').value = body.token;
        $('mint-result').textContent = 'token for ' + body.user + ', rooms ' + body.rooms.join(', ') + ', valid until ' + body.expiresAt;
        if (body.rooms.length) { $('room').value = body.rooms[0]; }
      })
      .catch(function (e) { $('mint-result').textContent = e.message; $('mint-result').className = 'hint error'; });
  }

  $('connect').addEventListener('click', connect);
  $('disconnect').addEventListener('click', disconnect);
  $('compose').addEventListener('submit', send);
  $('mint').addEventListener('click', mint);
  setState('disconnected', 'disconnected');
})();
