/* Ballot enhancements, written by hand (no libraries).
 *
 * Without this file the ballot is a plain form: one number per item.  With it, every
 * item of a ranking list gets "move up" / "move down" buttons (keyboard operable, the new
 * position is announced through an aria-live region), drag-and-drop for mouse users, and
 * a typed position moves the item there.  After each change the form fires "change", which
 * htmx listens to for saving the draft.  A points ballot shows its running total.
 */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function enhanceList(list) {
    var form = list.closest("form");
    var announcer = document.getElementById("rank-announcer");
    var top = parseInt(list.dataset.top || "0", 10);
    var dragged = null;

    function items() { return Array.prototype.slice.call(list.children); }

    function renumber() {
      var all = items();
      all.forEach(function (li, index) {
        li.querySelector(".position-input").value = String(index + 1);
        li.classList.toggle("beyond", top > 0 && index >= top);
        li.querySelector(".move-up").disabled = index === 0;
        li.querySelector(".move-down").disabled = index === all.length - 1;
      });
    }

    function changed(li) {
      renumber();
      var all = items();
      if (announcer) {
        announcer.textContent = format(list.dataset.moved, {
          code: li.dataset.code, position: all.indexOf(li) + 1, total: all.length
        });
      }
      form.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function move(li, delta) {
      var all = items();
      var index = all.indexOf(li);
      var target = index + delta;
      if (target < 0 || target >= all.length) { return; }
      if (delta < 0) { list.insertBefore(li, all[target]); }
      else { list.insertBefore(li, all[target].nextSibling); }
      changed(li);
      // Keep the focus on the button just used, or on its twin when the edge is reached.
      var button = li.querySelector(delta < 0 ? ".move-up" : ".move-down");
      if (button.disabled) { button = li.querySelector(delta < 0 ? ".move-down" : ".move-up"); }
      button.focus();
    }

    function button(li, cls, label, shortLabel, delta) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "move " + cls;
      // Inside a theme or domain the group's name tells the buttons apart from the overall list's.
      var scope = list.dataset.scope ? " (" + list.dataset.scope + ")" : "";
      b.setAttribute("aria-label", format(label, { code: li.dataset.code }) + scope);
      b.textContent = (delta < 0 ? "\u2191 " : "\u2193 ") + shortLabel;
      b.addEventListener("click", function () { move(li, delta); });
      return b;
    }

    items().forEach(function (li) {
      var tools = document.createElement("span");
      tools.className = "move-buttons";
      tools.appendChild(button(li, "move-up", list.dataset.up, list.dataset.upShort, -1));
      tools.appendChild(button(li, "move-down", list.dataset.down, list.dataset.downShort, 1));
      li.appendChild(tools);
      li.draggable = true;
      li.addEventListener("dragstart", function (event) {
        dragged = li;
        li.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", li.dataset.code);
      });
      li.addEventListener("dragend", function () { li.classList.remove("dragging"); dragged = null; });
      li.addEventListener("dragover", function (event) {
        if (!dragged || dragged === li || dragged.parentNode !== list) { return; }
        event.preventDefault();
        var box = li.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? li.nextSibling : li);
      });
      li.addEventListener("drop", function (event) {
        if (!dragged) { return; }
        event.preventDefault();
        changed(dragged);
      });
      var input = li.querySelector(".position-input");
      input.addEventListener("change", function (event) {
        // A typed position moves the item there; the other items shift.
        var wanted = parseInt(input.value, 10);
        var all = items();
        if (isNaN(wanted)) { return; }
        wanted = Math.max(1, Math.min(all.length, wanted));
        event.stopPropagation();
        list.removeChild(li);
        var rest = items();
        list.insertBefore(li, rest[wanted - 1] || null);
        changed(li);
        input.focus();
      });
    });
    list.classList.add("enhanced");
    renumber();
  }

  function enhancePoints(form) {
    var output = document.getElementById("points-total");
    if (!output) { return; }
    var inputs = form.querySelectorAll("input[data-points]");
    function update() {
      var total = 0;
      inputs.forEach(function (input) { var v = parseInt(input.value, 10); if (!isNaN(v)) { total += v; } });
      output.textContent = String(total);
      output.classList.toggle("off-budget", total !== parseInt(output.dataset.budget, 10));
    }
    inputs.forEach(function (input) { input.addEventListener("input", update); });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("ballot-form");
    if (!form) { return; }
    if (!form.querySelector("fieldset[disabled]")) {
      form.querySelectorAll("ol.rank-list").forEach(enhanceList);
    }
    enhancePoints(form);
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
