// PIBK ticks (attendance, volunteers, sports and awards): a tick that fails is
// never silent. Offline, a server error or a timeout leaves the row as it was,
// says "not saved" and tries again (sooner when the browser is back online);
// the "Retry" button tries at once. A session that has ended is answered by
// the server with HX-Redirect to the login page, which says the change was not
// saved. Kept out of the HTML: the Content-Security-Policy allows no inline script.
(function () {
  const script = document.currentScript;
  const labels = {
    failed: script.dataset.labelFailed,
    retrying: script.dataset.labelRetrying,
    retry: script.dataset.labelRetry,
  };
  const WAITS = [3000, 6000, 12000, 30000];  // then every 30 s until it is saved
  const timers = new WeakMap();

  function tickForm(event) {
    const elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest("form[data-tick-form]") : null;
  }

  function rowOf(form) {
    return form.closest("[data-tick-row]");
  }

  function note(row, form) {
    let box = row.querySelector("[data-save-note]");
    if (!box) {
      box = document.createElement("div");
      box.className = "small text-danger d-flex flex-wrap align-items-center gap-2";
      box.dataset.saveNote = "";
      box.setAttribute("role", "alert");
      const text = document.createElement("span");
      text.dataset.saveText = "";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-danger btn-sm py-0";
      button.dataset.action = "retry";
      button.textContent = labels.retry;
      button.addEventListener("click", function () { send(form); });
      box.append(text, button);
      const slot = row.querySelector(".min-w-0") || row.querySelector("td") || row;
      slot.append(box);
    }
    return box;
  }

  function send(form) {
    clearTimeout(timers.get(form));
    if (!form.isConnected) return;
    const row = rowOf(form);
    if (row) row.dataset.saveState = "retrying";
    htmx.trigger(form, "submit");
  }

  function failed(form) {
    const row = rowOf(form);
    if (!row) return;
    const attempts = Number(form.dataset.attempts || 0) + 1;
    form.dataset.attempts = String(attempts);
    row.dataset.saveState = "failed";
    const box = note(row, form);
    box.querySelector("[data-save-text]").textContent = attempts > 1 ? labels.retrying : labels.failed;
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () { send(form); }, WAITS[Math.min(attempts - 1, WAITS.length - 1)]));
  }

  ["htmx:sendError", "htmx:responseError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      const form = tickForm(event);
      if (form) failed(form);
    });
  });

  // Only a row (saved, or refused with its reason) may replace a row: never an
  // error page, a login page or anything else answered in its place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const form = tickForm(event);
    if (!form || !event.detail.shouldSwap) return;  // an error not swapped: htmx:responseError
    const body = event.detail.xhr.responseText || "";
    if (body.indexOf("data-tick-row") === -1) {
      event.detail.shouldSwap = false;
      failed(form);
    }
  });

  window.addEventListener("online", function () {
    document.querySelectorAll("[data-tick-row][data-save-state=failed] form[data-tick-form]").forEach(send);
  });
})();
