// The module page's reading time and place (README: "Reading time" and "Coming back to where you were").
// Counts a second only while the tab is visible and the learner read, scrolled or typed in the last minute,
// and never when they turned counting off (no data-measure); sends the seconds and where they are (the
// section read, the box written in) every 30 s and when the page is hidden or left.
const root = document.querySelector("[data-reading]");
if (root) {
  const { reading: url, section, box: boxId } = root.dataset;
  const measure = "measure" in root.dataset;
  const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const marks = [...document.querySelectorAll(".lesson :is(h2, h3)[id]")];
  let seconds = 0, ticks = 0, active = Date.now(), box = null, sent = `${section || ""} ${boxId || ""}`;

  // Where the learner is: the box they were writing in while it is on screen, else the last heading
  // above the top third of the window ("" at the top of the page).
  const place = () => {
    const r = box?.getBoundingClientRect();
    if (r && r.bottom > 0 && r.top < innerHeight) return [box.closest("section[id]")?.id || "", box.id];
    return [marks.filter((m) => m.getBoundingClientRect().top <= innerHeight / 3).pop()?.id || "", ""];
  };
  const send = () => {
    const [at, writing] = place(), key = `${at} ${writing}`;
    if (!seconds && key === sent) return;
    const body = new URLSearchParams({ csrfmiddlewaretoken: token, section: at, box: writing });
    if (seconds) body.set("seconds", Math.min(seconds, 120));
    if (navigator.sendBeacon(url, body)) [seconds, sent] = [0, key];
  };

  for (const type of ["scroll", "keydown", "pointerdown", "pointermove", "wheel", "touchstart"]) {
    addEventListener(type, () => (active = Date.now()), { capture: true, passive: true });
  }
  addEventListener("focusin", (e) => e.target.matches(".lesson textarea[id]") && (box = e.target));
  setInterval(() => {
    if (measure && !document.hidden && Date.now() - active < 60000) seconds++;
    if (++ticks % 30 === 0) send();
  }, 1000);
  addEventListener("pagehide", send);
  document.addEventListener("visibilitychange", () => document.hidden && send());

  // Back where they were: unless they came for another #anchor, or the browser put them mid-page. After
  // the load, when the browser has gone to the #anchor (which takes the focus away from any box).
  addEventListener("load", () => setTimeout(() => {
    const hash = decodeURIComponent(location.hash.slice(1));
    const target = boxId && document.getElementById(boxId);
    if (!section || (hash ? hash !== section : scrollY > 40)) return;
    if (target) {
      target.focus();
      target.setSelectionRange(target.value.length, target.value.length);
    } else if (!hash) document.getElementById(section)?.scrollIntoView();
  }));
}
