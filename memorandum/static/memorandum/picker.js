// A long checkbox list (form_fields.html, widget class "picker"): a search box that hides
// the options that do not match, buttons that tick or clear the options shown, and a live
// count of what is ticked. The tools stay hidden without JavaScript.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function setUp(list) {
    if (list.dataset.pickerReady) return;
    list.dataset.pickerReady = "1";
    var tools = list.parentNode.querySelector("[data-picker-tools]");
    if (!tools) return;
    var search = tools.querySelector("[data-picker-search]");
    var count = tools.querySelector("[data-picker-count]");
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    function boxes(shownOnly) {
      return items.filter(function (li) { return !shownOnly || !li.hidden; })
        .map(function (li) { return li.querySelector("input[type=checkbox]"); })
        .filter(Boolean);
    }
    function update() {
      var ticked = boxes(false).filter(function (b) { return b.checked; }).length;
      count.textContent = count.dataset.text.replace("__count__", ticked);
    }
    search.addEventListener("input", function () {
      var wanted = fold(search.value.trim());
      items.forEach(function (li) { li.hidden = wanted !== "" && fold(li.textContent).indexOf(wanted) < 0; });
    });
    // Enter in the search box must not submit the whole form.
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
    tools.querySelector("[data-picker-all]").addEventListener("click", function () {
      boxes(true).forEach(function (b) { b.checked = true; });
      update();
    });
    tools.querySelector("[data-picker-none]").addEventListener("click", function () {
      boxes(true).forEach(function (b) { b.checked = false; });
      update();
    });
    list.addEventListener("change", update);
    tools.hidden = false;
    update();
  }
  function setUpAll() { document.querySelectorAll("[data-picker]").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
