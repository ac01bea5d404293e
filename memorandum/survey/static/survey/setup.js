// Survey set-up: the primary method offers only the methods that count the chosen ballot
// form (each option lists its forms in data-forms). Without JavaScript every method is
// listed and the form refuses a method that does not fit, with the ones that do.
(function () {
  "use strict";
  function update(select) {
    var checked = document.querySelector('input[name="ballot_form"]:checked');
    if (!checked) return;
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var fits = (option.dataset.forms || "").split(" ").indexOf(checked.value) >= 0;
      option.hidden = !fits;
      option.disabled = !fits;
      if (fits && first === null) first = option;
    });
    if (select.selectedOptions.length && select.selectedOptions[0].disabled && first) {
      first.selected = true;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[data-method-for]");
    if (!select) return;
    document.querySelectorAll('input[name="ballot_form"]').forEach(function (radio) {
      radio.addEventListener("change", function () { update(select); });
    });
    update(select);
  });
})();
