// Answering a questionnaire (a respondent's domain, the coordinator's profile).
//
// - "None of these" options (data-exclusive) untick the others, and the others untick them.
// - A notice marked data-focus (after a save) takes the focus and comes into view.
// - On a domain form (form[data-autosave="true"]) every change is saved in the
//   background after a short pause, and before following a link ("Next
//   domain"). Each save is first written to localStorage (keyed by school,
//   respondent and domain) and removed only once the server has answered
//   "saved": a save that fails (offline, server down) is retried when the
//   connection returns and every few seconds; an ended session sends the
//   respondent to log in, and the answers are restored when they come back.
//   Each save carries this browser's id and a rising number, so the server
//   applies a retried save once and never lets an older one overwrite a newer.
// Texts come from the form's data-text-* attributes (translated by the server).
(function () {
  "use strict";

  const DEBOUNCE_MS = 600;
  const RETRY_MS = 5000;

  // --- "None of these" ------------------------------------------------------------
  document.addEventListener("change", function (event) {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox" || !box.checked) return;
    const fieldset = box.closest("fieldset[data-question]");
    if (!fieldset) return;
    fieldset.querySelectorAll("input[type=checkbox]").forEach(function (other) {
      if (other === box) return;
      if (box.dataset.exclusive === "true" || other.dataset.exclusive === "true") {
        other.checked = false;
      }
    });
  });

  // --- Links to an unanswered question: go there and put the cursor in it -------------
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-goto-question]");
    if (!link) return;
    const fieldset = document.getElementById("q-" + link.dataset.gotoQuestion);
    if (!fieldset) return;
    event.preventDefault();
    fieldset.scrollIntoView({ block: "center" });
    const input = fieldset.querySelector("input:not([disabled])");
    if (input) input.focus();
  });

  function focusNotice(notice) {
    notice.focus({ preventScroll: true });
    notice.scrollIntoView({ block: "center" });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const notice = document.querySelector("[data-save-notice][data-focus=true]");
    if (notice) focusNotice(notice);
  });

  const form = document.querySelector("form[data-autosave]");
  if (!form || form.dataset.autosave !== "true") return;

  const key = form.dataset.storeKey;
  const stateText = form.querySelector("[data-save-state]");
  const noticeSlot = form.querySelector("[data-save-notice]");
  const text = function (name) {
    return form.dataset["text" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
  };

  // --- storage: this browser's id, save numbers, the unsaved state ----------------
  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }
  const store = storage();

  function browserId() {
    let id = store && store.getItem("ssqs-client");
    if (!id) {
      const bytes = new Uint8Array(12);
      window.crypto.getRandomValues(bytes);
      id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      if (store) store.setItem("ssqs-client", id);
    }
    return id;
  }
  const client = browserId();

  function nextSeq() {
    const last = Number((store && store.getItem("ssqs-seq")) || 0);
    const seq = Math.max(Date.now(), last + 1);
    if (store) store.setItem("ssqs-seq", String(seq));
    return seq;
  }

  function unsaved() {
    if (!store) return null;
    try {
      return JSON.parse(store.getItem(key));
    } catch (e) {
      return null;
    }
  }

  function keep(body) {
    if (store) store.setItem(key, JSON.stringify({ body: body, at: Date.now() }));
  }

  function forget(body) {
    const kept = unsaved();
    if (store && kept && kept.body === body) store.removeItem(key);
  }

  // --- what the form holds ------------------------------------------------------
  function snapshot() {
    form.elements["_client"].value = client;
    form.elements["_seq"].value = String(nextSeq());
    const params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken"); // added when sent: a login changes it
    return params.toString();
  }

  function restore(body) {
    const params = new URLSearchParams(body);
    form.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
      const code = fieldset.dataset.question;
      const values = params.getAll(code);
      fieldset.querySelectorAll("input[name]").forEach(function (input) {
        if (input.name !== code) return;
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = values.indexOf(input.value) !== -1;
        } else {
          input.value = values.length ? values[0] : "";
        }
      });
    });
  }

  function csrfToken() {
    const field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // --- showing where things stand ------------------------------------------------
  function setState(state, message) {
    form.dataset.state = state;
    if (stateText) stateText.textContent = message;
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (box) {
      const message = errors[box.dataset.errorFor];
      box.textContent = message || "";
      box.classList.toggle("d-none", !message);
      const fieldset = box.closest("fieldset");
      if (fieldset) fieldset.classList.toggle("is-invalid", Boolean(message));
      const input = fieldset && fieldset.querySelector("input[type=text]");
      if (input) input.classList.toggle("is-invalid", Boolean(message));
    });
  }

  function showMissing(missing) {
    const codes = missing.map((m) => m.code);
    form.querySelectorAll("fieldset[data-mandatory]").forEach(function (fieldset) {
      const mark = fieldset.querySelector("[data-missing-mark]");
      if (mark) mark.classList.toggle("d-none", codes.indexOf(fieldset.dataset.question) === -1);
    });
  }

  function showProgress(data) {
    (data.domains || []).forEach(function (d) {
      const link = document.querySelector("#domain-nav a[data-domain='" + d.code + "']");
      if (!link) return;
      link.dataset.complete = d.complete ? "true" : "false";
      link.classList.toggle("btn-success", d.complete);
      link.classList.toggle("btn-danger", !d.complete);
      const icon = link.querySelector("i.bi");
      if (icon) {
        icon.classList.toggle("bi-check-circle", d.complete);
        icon.classList.toggle("bi-circle", !d.complete);
      }
      const badge = link.querySelector("[data-progress]");
      if (badge) {
        badge.dataset.progress = d.answered + "/" + d.mandatory;
        badge.textContent = d.progress_text;
      }
    });
    const title = document.querySelector("[data-domain-title]");
    if (title) {
      title.querySelector("[data-badge=complete]").classList.toggle("d-none", !data.complete);
      title.querySelector("[data-badge=incomplete]").classList.toggle("d-none", data.complete);
    }
  }

  function showNotice(kind, message, missing) {
    if (!noticeSlot) return;
    noticeSlot.replaceChildren();
    const alert = document.createElement("div");
    alert.className = "alert py-2 alert-" + kind;
    alert.setAttribute("role", "status");
    if (kind !== "danger") alert.dataset.saved = "true";
    const lead = document.createElement("div");
    lead.textContent = message;
    alert.appendChild(lead);
    if (missing && missing.length) {
      const intro = document.createElement("div");
      intro.textContent = text("missing");
      alert.appendChild(intro);
      const list = document.createElement("ul");
      list.className = "mb-0";
      missing.forEach(function (m) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = "#q-" + m.code;
        link.dataset.gotoQuestion = m.code;
        link.textContent = m.code + " " + m.text;
        item.appendChild(link);
        list.appendChild(item);
      });
      alert.appendChild(list);
    }
    noticeSlot.appendChild(alert);
    focusNotice(noticeSlot);
  }

  // --- saving ---------------------------------------------------------------------
  let dirty = false; // changed since the last snapshot
  let timer = null;
  let queue = Promise.resolve(true);
  let leaving = false;

  // Send one kept state; resolve "saved", "refused" (invalid or the window is
  // closed: sending it again cannot help) or "retry" (kept, sent again later).
  async function send(body, explicit) {
    setState("saving", text("saving"));
    let response;
    try {
      const full = body + "&csrfmiddlewaretoken=" + encodeURIComponent(csrfToken());
      response = await fetch(form.action, {
        method: "POST",
        body: full,
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/json",
          "X-Autosave": "1",
        },
      });
    } catch (e) {
      setState("retrying", text("retrying"));
      return "retry";
    }
    let data = null;
    if ((response.headers.get("Content-Type") || "").indexOf("application/json") !== -1) {
      data = await response.json().catch(() => null);
    }
    if (response.status === 401 && data && data.redirect) {
      // The session ended: the answers stay kept; log in, then come back here.
      setState("login", text("login"));
      leaving = true;
      window.location.assign(data.redirect);
      return "retry";
    }
    if (!data) {
      if (response.redirected) {
        // Sent elsewhere (e.g. to change a password): the answers stay kept.
        leaving = true;
        window.location.assign(response.url);
        return "retry";
      }
      setState("retrying", text("retrying"));
      return "retry";
    }
    if (response.status === 200 && data.status === "saved") {
      forget(body);
      if (data.shown) form.elements["_initial"].value = JSON.stringify(data.shown);
      showErrors({});
      showMissing(data.missing || []);
      showProgress(data);
      setState(dirty ? "dirty" : "saved", dirty ? "" : text("saved"));
      if (explicit) showNotice(data.complete ? "success" : "warning", data.message, data.missing);
      return "saved";
    }
    if (response.status === 400 || response.status === 403) {
      forget(body); // sending it again cannot help; what was typed stays on the page
      dirty = response.status === 400;
      showErrors(data.errors || {});
      setState("invalid", data.message || text("invalid"));
      if (explicit || response.status === 403) showNotice("danger", data.message, []);
      return "refused";
    }
    setState("retrying", text("retrying"));
    return "retry";
  }

  function enqueue(job) {
    queue = queue.then(job, job);
    return queue;
  }

  function saveNow(explicit) {
    clearTimeout(timer);
    timer = null;
    if (!dirty) {
      const kept = unsaved();
      if (kept) return enqueue(() => send(kept.body, explicit));
      if (!explicit) return queue.then(() => "saved");
    }
    dirty = false;
    const body = snapshot();
    keep(body);
    return enqueue(() => send(body, explicit));
  }

  function retry() {
    const kept = unsaved();
    if (kept && !dirty && form.dataset.state !== "saving") {
      enqueue(() => send(kept.body, false));
    }
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  function schedule(event) {
    if (!event.target.name || event.target.name.charAt(0) === "_") return;
    dirty = true;
    setState("dirty", "");
    clearTimeout(timer);
    timer = setTimeout(() => saveNow(false), DEBOUNCE_MS);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    saveNow(true);
  });

  // Following a link (Next domain, another domain, All domains) saves first.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || link.target || link.hasAttribute("download")) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#" || link.origin !== window.location.origin) return;
    if (!dirty && !unsaved() && !timer) return;
    event.preventDefault();
    saveNow(false).then(function (outcome) {
      if (outcome === "saved" && !dirty && !unsaved()) {
        leaving = true;
        window.location.assign(link.href);
      } else if (stateText) {
        stateText.focus();
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (leaving || (!dirty && !unsaved())) return;
    event.preventDefault();
    event.returnValue = "";
  });

  window.addEventListener("online", retry);
  window.setInterval(retry, RETRY_MS);

  // Answers kept from before (offline, or a session that ended): show and send them.
  const kept = unsaved();
  if (kept) {
    restore(kept.body);
    setState("restored", text("restored"));
    enqueue(() => send(kept.body, false));
  }
})();
