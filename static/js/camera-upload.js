/* Upload of a card's photos: drag and drop or choose, each file sent on its own to
   POST /api/v1/media/ with its own progress bar. Three at a time; a failed file does not
   stop the rest; a network error or a server error (5xx) is retried twice, which is safe
   because the same photo sent twice is stored once (its SHA-256). No framework. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var input = document.getElementById("id_files");
  var zone = document.getElementById("dropzone");
  var list = document.getElementById("upload-list");
  var summary = document.getElementById("upload-summary");
  var people = document.getElementById("id_has_people");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var PARALLEL = 3, RETRIES = 2;
  var queue = [], running = 0, total = 0, done = 0, failed = 0;

  function text(key) { return form.getAttribute("data-msg-" + key) || key; }

  function showSummary() {
    summary.textContent = text("summary")
      .replace("%(done)s", done).replace("%(total)s", total).replace("%(failed)s", failed);
    if (done + failed === total && total > 0) {
      summary.textContent += " " + text("processing");
      form.setAttribute("data-finished", "1");
    }
  }

  function row(file) {
    var li = document.createElement("li");
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = file.name;
    var state = document.createElement("span");
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    state.appendChild(bar);
    li.appendChild(name);
    li.appendChild(state);
    list.appendChild(li);
    return { li: li, state: state, bar: bar };
  }

  function finish(item, ok, message) {
    item.view.state.textContent = message;
    item.view.state.className = ok ? "done" : "failed";
    item.view.li.setAttribute("data-state", ok ? "done" : "failed");
    if (ok) { done += 1; } else { failed += 1; }
    running -= 1;
    showSummary();
    next();
  }

  function send(item) {
    var xhr = new XMLHttpRequest();
    var data = new FormData();
    data.append("file", item.file, item.file.name);
    data.append("deployment", form.getAttribute("data-deployment"));
    data.append("has_people", people && people.checked ? "true" : "false");
    xhr.open("POST", form.getAttribute("data-api"));
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) item.view.bar.value = Math.round((100 * e.loaded) / e.total);
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      if (xhr.status === 201) return finish(item, true, text("stored"));
      if (xhr.status === 200) return finish(item, true, text("again"));
      if (xhr.status >= 500 && item.tries < RETRIES) return retry(item);
      finish(item, false, text("failed") + ": " + (body.detail || xhr.statusText || xhr.status));
    };
    xhr.onerror = function () {
      if (item.tries < RETRIES) return retry(item);
      finish(item, false, text("failed"));
    };
    xhr.send(data);
  }

  function retry(item) {
    item.tries += 1;
    item.view.state.textContent = text("retry");
    setTimeout(function () {
      item.view.state.textContent = "";
      item.view.bar.value = 0;
      item.view.state.appendChild(item.view.bar);
      send(item);
    }, 800 * item.tries);
  }

  function next() {
    while (running < PARALLEL && queue.length) {
      running += 1;
      send(queue.shift());
    }
  }

  function add(files) {
    for (var i = 0; i < files.length; i += 1) {
      queue.push({ file: files[i], tries: 0, view: row(files[i]) });
      total += 1;
    }
    form.removeAttribute("data-finished");
    showSummary();
    next();
  }

  input.addEventListener("change", function () {
    add(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files) add(e.dataTransfer.files);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
})();
