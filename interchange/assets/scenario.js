/* Role-play scenarios, played offline: one scene at a time, each choice showing the scene it
 * leads to. Without this script every scene shows, and each choice is a link to its scene. */
(function () {
  "use strict";

  function show(scenario, anchor, focus) {
    Array.prototype.forEach.call(scenario.querySelectorAll(".scene"), function (scene) {
      scene.hidden = scene.id !== anchor;
      if (!scene.hidden && focus) scene.focus();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".scenario[data-start]"), function (scenario) {
    scenario.classList.add("playing");
    show(scenario, scenario.dataset.start, false);
    scenario.addEventListener("click", function (event) {
      var choice = event.target.closest("a.choice[data-scene]");
      if (!choice) return;
      event.preventDefault();
      show(scenario, choice.dataset.scene, true);
    });
  });
})();
