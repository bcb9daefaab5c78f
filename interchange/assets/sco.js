/* The Sales Blueprint System in a learning system: speaks the SCORM 2004 or the SCORM 1.2 runtime.
 *
 * Finds the LMS's runtime object as both standards prescribe (this window's parents, then the
 * opener's): `API_1484_11` (SCORM 2004) or `API` (SCORM 1.2), the package's own standard
 * (`data-standard`) first, and speaks that runtime. Keeps the learner's writing in cmi.suspend_data
 * (restored on the next launch), reports "Mark as complete" as completed and the time spent as the
 * session time, then commits and terminates when the page goes away.
 *
 * Suspend data holds at most 4,096 characters in SCORM 1.2 and 64,000 in SCORM 2004 4th edition.
 * The learner sees the room left as they type; writing that would not fit is refused with a
 * message, never cut. */
(function () {
  "use strict";

  /* What differs between the runtimes: the object's name and methods, the data model's names, formats and limit. */
  var RUNTIMES = {
    "2004": {
      object: "API_1484_11", limit: 64000, duration: isoDuration,
      initialize: "Initialize", terminate: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit",
      lastError: "GetLastError", status: "cmi.completion_status", fresh: ["unknown", "not attempted", ""],
      done: ["completed"], sessionTime: "cmi.session_time", exit: "cmi.exit"
    },
    "1.2": {
      object: "API", limit: 4096, duration: timespan,
      initialize: "LMSInitialize", terminate: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
      lastError: "LMSGetLastError", status: "cmi.core.lesson_status", fresh: ["not attempted", ""],
      done: ["completed", "passed"], sessionTime: "cmi.core.session_time", exit: "cmi.core.exit"
    }
  };

  var root = document.getElementById("sco");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("textarea[data-store]"));
  var completeButton = document.getElementById("complete");
  var started = Date.now();
  var lms = null;
  var LIMIT = 0;  // the runtime's suspend-data limit, once one answers
  var LOW = 0;  // "nearly full" below a tenth of the room
  var kept = "";  // the suspend data last accepted: what the LMS holds once committed
  var pending = null;
  var finished = false;

  function message(name, values) {
    return root.dataset["msg" + name].replace(/\{(\w+)\}/g, function (match, key) {
      return String(values && key in values ? values[key] : match);
    });
  }

  function searchUp(win, name) {
    for (var hops = 0; win && hops < 500; hops++) {
      try {
        if (win[name]) return win[name];
      } catch (crossOrigin) {
        return null;
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  function findObject(name) {
    var found = searchUp(window.parent !== window ? window.parent : null, name);
    if (!found && window.opener) found = searchUp(window.opener, name);
    return found;
  }

  /* The runtime as this script uses it, whichever standard it speaks. */
  function connect(runtime, object) {
    function call(method, args) {
      return String(object[runtime[method]].apply(object, args));
    }
    return {
      runtime: runtime,
      initialize: function () { return call("initialize", [""]) === "true"; },
      get: function (element) { return call("get", [element]); },
      set: function (element, value) { return call("set", [element, value]) === "true"; },
      commit: function () { return call("commit", [""]) === "true"; },
      terminate: function () { return call("terminate", [""]) === "true"; },
      lastError: function () { return call("lastError", []); }
    };
  }

  function findLMS() {
    var order = root.dataset.standard === "1.2" ? ["1.2", "2004"] : ["2004", "1.2"];
    for (var index = 0; index < order.length; index++) {
      var object = findObject(RUNTIMES[order[index]].object);
      if (object) return connect(RUNTIMES[order[index]], object);
    }
    return null;
  }

  function serialise(answers) {
    var keys = Object.keys(answers).filter(function (key) { return answers[key] !== ""; }).sort();
    if (!keys.length) return "";
    var chosen = {};
    keys.forEach(function (key) { chosen[key] = answers[key]; });
    return JSON.stringify({ v: 1, a: chosen });
  }

  function answersInBoxes() {
    var answers = {};
    boxes.forEach(function (box) { answers[box.dataset.store] = box.value; });
    return answers;
  }

  function showRoom(room, active) {
    var text = message(room < LOW ? "Low" : "Room", { n: Math.max(room, 0) });
    boxes.forEach(function (box) {
      var line = document.getElementById(box.id.replace(/-text$/, "-room"));
      line.textContent = text;
      line.dataset.state = room < LOW ? "low" : "";
    });
    if (active && room < LOW && room >= 0) status(active, text, "low");
  }

  function status(box, text, state) {
    var line = document.getElementById(box.id.replace(/-text$/, "-status"));
    line.textContent = text;
    line.dataset.state = state || "";
  }

  function onInput(event) {
    var box = event.target;
    var data = serialise(answersInBoxes());
    var room = LIMIT - data.length;
    showRoom(room, box);
    if (room < 0) {
      box.setAttribute("aria-invalid", "true");
      status(box, message("Full", { limit: LIMIT, over: -room }), "error");
      return;
    }
    boxes.forEach(function (other) { other.removeAttribute("aria-invalid"); });
    kept = data;
    clearTimeout(pending);
    pending = setTimeout(function () { store(box); }, 800);
  }

  function store(box) {
    pending = null;
    if (!lms) return;
    var ok = lms.set("cmi.suspend_data", kept) && lms.commit();
    if (box) status(box, ok ? message("Saved") : message("LmsError", { code: lms.lastError() }), ok ? "saved" : "error");
  }

  function restore() {
    var raw = lms.get("cmi.suspend_data") || "";
    var answers = {};
    try {
      answers = raw ? JSON.parse(raw).a || {} : {};
    } catch (notOurs) {
      answers = {};
    }
    var restored = false;
    boxes.forEach(function (box) {
      var text = answers[box.dataset.store];
      if (typeof text === "string" && text) {
        box.value = text;
        restored = true;
      }
    });
    kept = serialise(answersInBoxes());
    if (restored) notice(message("Restored"));
  }

  function notice(text) {
    var line = document.getElementById("sco-notice");
    line.textContent = text;
    line.hidden = false;
  }

  function showCompleted() {
    completeButton.disabled = true;
    document.getElementById("complete-status").textContent = message("Completed");
  }

  function complete() {
    if (!lms) return;
    if (pending) store(null);
    if (lms.set(lms.runtime.status, "completed") && lms.commit()) {
      showCompleted();
    } else {
      document.getElementById("complete-status").textContent = message("LmsError", { code: lms.lastError() });
    }
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) text = "0" + text;
    return text;
  }

  function parts(milliseconds) {
    var centiseconds = Math.round(milliseconds / 10);
    return {
      hours: Math.floor(centiseconds / 360000),
      minutes: Math.floor((centiseconds % 360000) / 6000),
      seconds: (centiseconds % 6000) / 100
    };
  }

  /* SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (at most 9999 hours) */
  function timespan(milliseconds) {
    var time = parts(Math.min(milliseconds, (9999 * 3600 + 3599.99) * 1000));
    return pad(time.hours, 4) + ":" + pad(time.minutes, 2) + ":" + pad(time.seconds.toFixed(2), 5);
  }

  /* SCORM 2004 timeinterval: an ISO 8601 duration to the hundredth of a second, PT1H2M3.45S */
  function isoDuration(milliseconds) {
    var time = parts(milliseconds);
    return "PT" + time.hours + "H" + time.minutes + "M" + time.seconds.toFixed(2) + "S";
  }

  function finish() {
    if (!lms || finished) return;
    finished = true;
    clearTimeout(pending);
    var runtime = lms.runtime;
    lms.set("cmi.suspend_data", kept);
    lms.set(runtime.sessionTime, runtime.duration(Date.now() - started));
    // "suspend": the learner may come back; the LMS keeps the suspend data for the next launch.
    lms.set(runtime.exit, "suspend");
    lms.commit();
    lms.terminate();
  }

  function start() {
    lms = findLMS();
    boxes.forEach(function (box) { box.disabled = false; });
    if (!lms || !lms.initialize()) {
      lms = null;
      completeButton.disabled = true;
      notice(message("NoLms"));
      return;
    }
    LIMIT = lms.runtime.limit;
    LOW = Math.floor(LIMIT / 10);
    restore();
    showRoom(LIMIT - kept.length, null);
    var lessonStatus = lms.get(lms.runtime.status);
    if (lms.runtime.done.indexOf(lessonStatus) >= 0) {
      showCompleted();
    } else if (lms.runtime.fresh.indexOf(lessonStatus) >= 0) {
      lms.set(lms.runtime.status, "incomplete");
      lms.commit();
    }
    boxes.forEach(function (box) { box.addEventListener("input", onInput); });
    completeButton.addEventListener("click", complete);
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);
  }

  start();
})();
