/* The classification page's keys: 1-9 choose a species, + and - change the count,
   Enter saves and opens the next sequence, 0 marks it empty, P people, N skips,
   left and right arrows step through the photos. The form works without it. */
(function () {
  "use strict";
  var form = document.getElementById("classify-form");
  var main = document.getElementById("main-photo");
  var strip = document.getElementById("strip");
  var buttons = strip ? Array.prototype.slice.call(strip.querySelectorAll("button")) : [];
  var current = 0;

  function show(index) {
    if (!buttons.length) return;
    current = (index + buttons.length) % buttons.length;
    buttons.forEach(function (b, i) { b.setAttribute("aria-current", i === current ? "true" : "false"); });
    main.src = buttons[current].getAttribute("data-preview");
  }
  buttons.forEach(function (b, i) { b.addEventListener("click", function () { show(i); }); });

  if (!form) {
    document.addEventListener("keydown", function (e) {
      if (e.key === "ArrowRight") show(current + 1);
      if (e.key === "ArrowLeft") show(current - 1);
    });
    return;
  }
  var count = document.getElementById("id_count");
  var box = document.getElementById("individual-box");
  var individual = document.getElementById("id_individual");
  var codeRow = document.getElementById("new-code-row");
  var radios = Array.prototype.slice.call(form.querySelectorAll("input[name=species]"));

  function chosen() { return radios.filter(function (r) { return r.checked; })[0]; }

  function syncIndividuals() {
    var sp = chosen();
    var withIds = sp && sp.getAttribute("data-individuals") === "1";
    box.hidden = !withIds;
    if (!withIds) { individual.value = ""; }
    Array.prototype.forEach.call(individual.options, function (o) {
      var of = o.getAttribute("data-species");
      o.hidden = !!of && (!sp || of !== sp.value);
    });
    codeRow.hidden = individual.value !== "new";
  }
  radios.forEach(function (r) { r.addEventListener("change", syncIndividuals); });
  individual.addEventListener("change", syncIndividuals);
  syncIndividuals();

  function submitWith(id) {
    var button = document.getElementById(id);
    if (!button) return;
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }

  document.addEventListener("keydown", function (e) {
    var typing = e.target && (e.target.tagName === "INPUT" && e.target.type === "text" ||
      e.target.tagName === "TEXTAREA" || e.target.tagName === "SELECT");
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "Enter" && e.target.tagName !== "BUTTON" && e.target.tagName !== "A") {
      e.preventDefault();
      submitWith("save-animals");
      return;
    }
    if (typing) return;
    if (e.target === count && /^[0-9]$/.test(e.key)) return;  // typing a count
    var pick = radios.filter(function (r) { return r.getAttribute("data-key") === e.key; })[0];
    if (pick) {
      e.preventDefault();
      pick.checked = true;
      syncIndividuals();
    } else if (e.key === "+" || e.key === "=") {
      e.preventDefault();
      count.value = String((parseInt(count.value, 10) || 0) + 1);
    } else if (e.key === "-") {
      e.preventDefault();
      count.value = String(Math.max(1, (parseInt(count.value, 10) || 1) - 1));
    } else if (e.key === "0") {
      e.preventDefault();
      submitWith("save-empty");
    } else if (e.key === "p" || e.key === "P") {
      e.preventDefault();
      submitWith("save-people");
    } else if (e.key === "n" || e.key === "N") {
      var skip = document.getElementById("skip");
      if (skip) { e.preventDefault(); window.location.href = skip.href; }
    } else if (e.key === "ArrowRight") {
      show(current + 1);
    } else if (e.key === "ArrowLeft") {
      show(current - 1);
    }
  });
})();
