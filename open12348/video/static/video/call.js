/* The call page of a video consultation: camera and microphone, one RTCPeerConnection per other
 * participant (a mesh), signalling over the platform's WebSocket (see open12348/video/consumers.py).
 *
 * Who offers: whoever is already in the room offers to a newcomer ("joined"). A page that loses its
 * WebSocket reconnects with backoff and joins again under a new id; the others saw it leave and now
 * see it join, so they offer again and the call resumes. A connection that fails restarts ICE.
 *
 * No user-facing text lives here: labels come from the page (#video-config, translated there).
 * window.open12348Video exposes the state for the browser tests and for debugging.
 */
(function () {
  "use strict";

  var root = document.getElementById("video-call");
  if (!root) { return; }
  var config = JSON.parse(document.getElementById("video-config").textContent);
  var labels = config.labels;
  var statusLine = document.getElementById("video-status");
  var tiles = document.getElementById("video-remotes");
  var localVideo = document.getElementById("video-local");

  var state = {
    you: null, peers: {}, local: null, ws: null, backoff: 500, attempts: 0, joins: 0,
    stopped: false, ice: config.ice || [], pingTimer: null, reconnectTimer: null
  };
  window.open12348Video = state;

  function setStatus(key, extra) {
    state.status = key;
    statusLine.textContent = (labels[key] || key) + (extra ? " " + extra : "");
    root.setAttribute("data-status", key);
  }

  function send(message) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) {
      state.ws.send(JSON.stringify(message));
    }
  }

  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + config.ws;
  }

  // --- peers ----------------------------------------------------------------------------------

  function tileFor(peer) {
    var tile = document.createElement("figure");
    tile.className = "video-tile";
    tile.setAttribute("data-peer", peer.id);
    var video = document.createElement("video");
    video.className = "remote";
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    var caption = document.createElement("figcaption");
    caption.textContent = peer.name || "";
    tile.appendChild(video);
    tile.appendChild(caption);
    tiles.appendChild(tile);
    return {tile: tile, video: video};
  }

  function peerFor(info) {
    var entry = state.peers[info.id];
    if (entry) { return entry; }
    var pc = new RTCPeerConnection({iceServers: state.ice});
    var view = tileFor(info);
    entry = {id: info.id, name: info.name || "", pc: pc, video: view.video, tile: view.tile,
             queue: Promise.resolve(), offerer: false, restarts: 0};
    state.peers[info.id] = entry;
    if (state.local) {
      state.local.getTracks().forEach(function (track) { pc.addTrack(track, state.local); });
    }
    pc.onicecandidate = function (event) {
      if (event.candidate) { send({type: "candidate", to: entry.id, candidate: event.candidate.toJSON()}); }
    };
    pc.ontrack = function (event) {
      var stream = event.streams && event.streams[0];
      if (!stream) {
        stream = entry.video.srcObject || new MediaStream();
        stream.addTrack(event.track);
      }
      if (entry.video.srcObject !== stream) { entry.video.srcObject = stream; }
      var playing = entry.video.play();
      if (playing && playing.catch) { playing.catch(function () { showUnmute(); }); }
    };
    pc.onconnectionstatechange = function () {
      entry.tile.setAttribute("data-state", pc.connectionState);
      if (pc.connectionState === "connected") {
        entry.restarts = 0;
        setStatus("connected");
      } else if (pc.connectionState === "failed") {
        if (entry.offerer && entry.restarts < 3) {
          entry.restarts += 1;
          offer(entry, true);
        } else {
          // Gone for good (a page that vanished without a goodbye): its tile goes too. If it comes
          // back it joins again under a new id.
          dropPeer(entry.id);
        }
      }
    };
    return entry;
  }

  function dropPeer(id) {
    var entry = state.peers[id];
    if (!entry) { return; }
    delete state.peers[id];
    try { entry.pc.close(); } catch (e) { /* already closed */ }
    if (entry.tile.parentNode) { entry.tile.parentNode.removeChild(entry.tile); }
    if (!Object.keys(state.peers).length && state.status === "connected") { setStatus("waiting"); }
  }

  function dropAllPeers() {
    Object.keys(state.peers).forEach(dropPeer);
  }

  function serially(entry, work) {
    entry.queue = entry.queue.then(work).catch(function (error) {
      if (window.console) { window.console.warn("video signalling", error); }
    });
    return entry.queue;
  }

  function offer(entry, iceRestart) {
    entry.offerer = true;
    return serially(entry, function () {
      return entry.pc.createOffer(iceRestart ? {iceRestart: true} : {}).then(function (description) {
        return entry.pc.setLocalDescription(description);
      }).then(function () {
        send({type: "offer", to: entry.id, sdp: {type: "offer", sdp: entry.pc.localDescription.sdp}});
      });
    });
  }

  // --- messages -------------------------------------------------------------------------------

  function onMessage(message) {
    var entry;
    switch (message.type) {
      case "peers":
        // A new id each time we join: whatever we had belongs to the previous connection.
        dropAllPeers();
        state.you = message.you;
        state.joins += 1;
        if (message.ice && message.ice.length) { state.ice = message.ice; }
        setStatus(message.peers.length ? "connecting" : "waiting");
        break;
      case "joined":
        dropPeer(message.peer.id);
        offer(peerFor(message.peer), false);
        setStatus("connecting");
        break;
      case "offer":
        entry = peerFor({id: message.from, name: nameOf(message.from)});
        serially(entry, function () {
          return entry.pc.setRemoteDescription(message.sdp).then(function () {
            return entry.pc.createAnswer();
          }).then(function (answer) {
            return entry.pc.setLocalDescription(answer);
          }).then(function () {
            send({type: "answer", to: entry.id, sdp: {type: "answer", sdp: entry.pc.localDescription.sdp}});
          });
        });
        break;
      case "answer":
        entry = state.peers[message.from];
        if (entry) { serially(entry, function () { return entry.pc.setRemoteDescription(message.sdp); }); }
        break;
      case "candidate":
        entry = state.peers[message.from];
        if (entry && message.candidate) {
          serially(entry, function () { return entry.pc.addIceCandidate(message.candidate); });
        }
        break;
      case "leave":
        dropPeer(message.peer);
        break;
      case "ended":
        stop("ended");
        break;
      default:
        break;
    }
  }

  var names = {};
  function nameOf(id) { return names[id] || ""; }

  // --- the socket -----------------------------------------------------------------------------

  function connect() {
    if (state.stopped) { return; }
    setStatus(state.attempts ? "reconnecting" : "connecting");
    var ws = new WebSocket(socketUrl());
    state.ws = ws;
    ws.onopen = function () {
      state.backoff = 500;
      state.attempts = 0;
      send({type: "join"});
      clearInterval(state.pingTimer);
      state.pingTimer = setInterval(function () { send({type: "ping"}); }, 20000);
    };
    ws.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "peers") {
        message.peers.forEach(function (p) { names[p.id] = p.name; });
      } else if (message.type === "joined") {
        names[message.peer.id] = message.peer.name;
      }
      onMessage(message);
    };
    ws.onclose = function (event) {
      clearInterval(state.pingTimer);
      if (state.ws !== ws) { return; }
      if (event.code === 4403) { stop("refused"); return; }
      if (event.code === 4000) { stop("ended"); return; }
      if (state.stopped) { return; }
      // The media may still flow for a moment; the others drop us and offer again once we are back.
      state.attempts += 1;
      setStatus("reconnecting");
      var delay = Math.min(state.backoff, 10000) + Math.floor(Math.random() * 250);
      state.backoff = Math.min(state.backoff * 2, 10000);
      state.reconnectTimer = setTimeout(connect, delay);
    };
  }

  function stop(reason) {
    state.stopped = true;
    clearTimeout(state.reconnectTimer);
    clearInterval(state.pingTimer);
    dropAllPeers();
    if (state.ws && state.ws.readyState <= WebSocket.OPEN) {
      try { state.ws.close(1000); } catch (e) { /* closing anyway */ }
    }
    if (state.local) { state.local.getTracks().forEach(function (t) { t.stop(); }); }
    setStatus(reason);
    root.querySelectorAll("[data-while-in-call]").forEach(function (el) { el.hidden = true; });
  }

  // Tests: lose the socket without leaving, as a flaky network would.
  state.dropSocket = function () { if (state.ws) { state.ws.close(4001); } };

  function showUnmute() {
    var button = document.getElementById("video-unmute");
    if (!button) { return; }
    button.hidden = false;
    button.onclick = function () {
      Object.keys(state.peers).forEach(function (id) { state.peers[id].video.play(); });
      button.hidden = true;
    };
  }

  // --- the page -------------------------------------------------------------------------------

  function start() {
    document.getElementById("video-start").hidden = true;
    root.querySelectorAll("[data-while-in-call]").forEach(function (el) { el.hidden = false; });
    setStatus("camera");
    var wanted = {audio: true, video: {width: {ideal: 640}, height: {ideal: 480}, facingMode: "user"}};
    var media = navigator.mediaDevices && navigator.mediaDevices.getUserMedia
      ? navigator.mediaDevices.getUserMedia(wanted).catch(function () {
        return navigator.mediaDevices.getUserMedia({audio: true});
      })
      : Promise.reject(new Error("no media devices"));
    media.then(function (stream) {
      state.local = stream;
      localVideo.srcObject = stream;
      localVideo.muted = true;
      localVideo.play().catch(function () { /* a preview is optional */ });
    }).catch(function () {
      setStatus("no_camera");
    }).then(connect);
  }

  function toggle(kind, button) {
    if (!state.local) { return; }
    var tracks = kind === "audio" ? state.local.getAudioTracks() : state.local.getVideoTracks();
    var on = !(tracks[0] && tracks[0].enabled);
    tracks.forEach(function (t) { t.enabled = on; });
    button.setAttribute("aria-pressed", on ? "false" : "true");
    button.textContent = on ? labels[kind + "_off"] : labels[kind + "_on"];
  }

  document.getElementById("video-start").addEventListener("click", start);
  document.getElementById("video-mic").addEventListener("click", function () { toggle("audio", this); });
  document.getElementById("video-cam").addEventListener("click", function () { toggle("video", this); });
  document.getElementById("video-leave").addEventListener("click", function () {
    send({type: "leave"});
    stop("left");
  });
  window.addEventListener("pagehide", function () { send({type: "leave"}); });
  setStatus("ready");
}());
