/* Ballot enhancements, written by hand (no libraries).
 *
 * Without this file the ballot is a plain form: an optional number per item.  With it,
 * the top N of a ranking ballot gets "Rank", "Up", "Down" and "Remove" buttons (keyboard
 * operable, the new position is announced through an aria-live region), drag-and-drop of
 * ranked items for mouse users, and a typed position moves the item there.  After each change the form fires "change", which
 * htmx listens to for saving the draft.  A points ballot shows its running total.
 */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function enhanceList(list) {
    // The ranked items come first, in order; the others are "not ranked yet".  Buttons:
    // "Rank" adds an item after the last ranked one, "Up"/"Down" move a ranked item,
    // "Remove" takes it out again.  A button that cannot act (Up on the first item) stays
    // focusable with aria-disabled and says why, so a second Enter never undoes the move.
    var form = list.closest("form");
    var announcer = document.getElementById("rank-announcer");
    var max = parseInt(list.dataset.max || "0", 10);
    var dragged = null;

    function items() { return Array.prototype.slice.call(list.children); }
    function ranked() { return items().filter(function (li) { return li.classList.contains("ranked"); }); }
    function say(template, values) { if (announcer) { announcer.textContent = format(template, values || {}); } }
    function setDisabled(button, disabled) { button.setAttribute("aria-disabled", disabled ? "true" : "false"); }

    function renumber() {
      var top = ranked();
      items().forEach(function (li) {
        var index = top.indexOf(li);
        li.querySelector(".position-input").value = index >= 0 ? String(index + 1) : "";
        setDisabled(li.querySelector(".move-up"), index <= 0);
        setDisabled(li.querySelector(".move-down"), index < 0 || index === top.length - 1);
        setDisabled(li.querySelector(".rank-add"), index < 0 && top.length >= max);
      });
    }

    function placeUnranked(li) {
      // Back among the unranked items, in catalogue order.
      var index = parseInt(li.dataset.index, 10);
      var next = items().filter(function (other) {
        return other !== li && !other.classList.contains("ranked") && parseInt(other.dataset.index, 10) > index;
      })[0];
      list.insertBefore(li, next || null);
    }

    function changed(li) {
      renumber();
      var top = ranked();
      if (li.classList.contains("ranked")) {
        say(list.dataset.moved, { code: li.dataset.code, position: top.indexOf(li) + 1, total: max });
      } else {
        say(list.dataset.removed, { code: li.dataset.code });
      }
      form.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function rankAt(li, position) {
      // Put li at 1-based position among the ranked items (within the top).
      li.classList.add("ranked");
      var others = ranked().filter(function (other) { return other !== li; });
      position = Math.max(1, Math.min(others.length + 1, position));
      list.insertBefore(li, others[position - 1] || (others.length ? others[others.length - 1].nextSibling : list.firstChild));
    }

    function move(li, delta) {
      var top = ranked();
      var index = top.indexOf(li);
      if (index < 0) { return; }
      if (index + delta < 0) { say(list.dataset.first, { code: li.dataset.code }); return; }
      if (index + delta >= top.length) { say(list.dataset.last, { code: li.dataset.code }); return; }
      rankAt(li, index + delta + 1);
      changed(li);
      li.querySelector(delta < 0 ? ".move-up" : ".move-down").focus();
    }

    function add(li) {
      if (ranked().length >= max) { say(list.dataset.full); return; }
      rankAt(li, ranked().length + 1);
      changed(li);
      li.querySelector(".move-up").focus();
    }

    function remove(li) {
      li.classList.remove("ranked");
      placeUnranked(li);
      changed(li);
      li.querySelector(".rank-add").focus();
    }

    function button(li, cls, label, shortLabel, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "move " + cls;
      b.setAttribute("aria-label", format(label, { code: li.dataset.code }));
      b.textContent = shortLabel;
      b.addEventListener("click", function () {
        if (b.getAttribute("aria-disabled") === "true") {
          if (cls === "move-up") { say(list.dataset.first, { code: li.dataset.code }); }
          else if (cls === "move-down") { say(list.dataset.last, { code: li.dataset.code }); }
          else if (cls === "rank-add") { say(list.dataset.full); }
          return;
        }
        action(li);
      });
      return b;
    }

    items().forEach(function (li) {
      var tools = document.createElement("span");
      tools.className = "move-buttons";
      tools.appendChild(button(li, "rank-add", list.dataset.add, "+ " + list.dataset.addShort, add));
      tools.appendChild(button(li, "move-up", list.dataset.up, "\u2191 " + list.dataset.upShort, function (x) { move(x, -1); }));
      tools.appendChild(button(li, "move-down", list.dataset.down, "\u2193 " + list.dataset.downShort, function (x) { move(x, 1); }));
      tools.appendChild(button(li, "rank-remove", list.dataset.remove, "\u00d7 " + list.dataset.removeShort, remove));
      li.insertBefore(tools, li.querySelector(".item-more") || li.querySelector(".errorlist"));
      li.draggable = true;
      li.addEventListener("dragstart", function (event) {
        if (!li.classList.contains("ranked")) { event.preventDefault(); return; }
        dragged = li;
        li.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", li.dataset.code);
      });
      li.addEventListener("dragend", function () { li.classList.remove("dragging"); dragged = null; });
      li.addEventListener("dragover", function (event) {
        if (!dragged || dragged === li || dragged.parentNode !== list || !li.classList.contains("ranked")) { return; }
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
        // A typed position moves the item there (the others shift); an emptied one unranks it.
        var text = input.value.trim();
        var wanted = parseInt(text, 10);
        if (text !== "" && (isNaN(wanted) || wanted < 1 || wanted > max)) { return; }
        event.stopPropagation();
        if (text === "") { li.classList.remove("ranked"); placeUnranked(li); }
        else if (!li.classList.contains("ranked") && ranked().length >= max) { say(list.dataset.full); renumber(); return; }
        else { rankAt(li, wanted); }
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
      // Only the top N gets buttons: the optional order inside a group is typed.
      form.querySelectorAll("ol.rank-list[data-list=overall]").forEach(enhanceList);
    }
    enhancePoints(form);
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
