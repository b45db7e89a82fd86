/*
 * Civitas: small behaviours every page may use. Loaded with `defer` from base.html;
 * there are no inline scripts (the Content-Security-Policy forbids them).
 *
 * <form data-confirm="Question?">   Ask the question before the form is sent. When the user
 *     agrees, a hidden input confirmed=yes is added, so the server acts at once; without
 *     JavaScript the server shows its own confirmation page instead (partials/confirm.html).
 *     A submit button may carry its own data-confirm, which then takes precedence.
 *
 * <button data-copy="#element-id">  Copy the element's value (inputs) or text to the
 * <button data-copy="literal text">  clipboard, or copy the literal text. The button is
 *     shown only when this script runs (give it the `hidden` attribute in the markup), and
 *     its label changes to "Copied" for a moment.
 */
(function () {
  "use strict";

  function confirmationFor(form, submitter) {
    if (submitter && submitter.hasAttribute("data-confirm")) {
      return submitter.getAttribute("data-confirm");
    }
    return form.getAttribute("data-confirm");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var question = confirmationFor(form, event.submitter);
    if (!question) {
      return;
    }
    if (!window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (!form.querySelector('input[name="confirmed"]')) {
      var marker = document.createElement("input");
      marker.type = "hidden";
      marker.name = "confirmed";
      marker.value = "yes";
      form.appendChild(marker);
    }
  }, true);

  function textToCopy(button) {
    var spec = button.getAttribute("data-copy") || "";
    if (spec.charAt(0) !== "#") {
      return { text: spec, source: null };
    }
    var source = document.querySelector(spec);
    if (!source) {
      return { text: "", source: null };
    }
    var text = "value" in source && typeof source.value === "string" ? source.value : source.textContent;
    return { text: (text || "").trim(), source: source };
  }

  function legacyCopy(text, source) {
    var field = source && typeof source.select === "function" ? source : null;
    var temporary = null;
    if (!field) {
      temporary = document.createElement("textarea");
      temporary.value = text;
      temporary.setAttribute("readonly", "");
      temporary.style.position = "absolute";
      temporary.style.left = "-9999px";
      document.body.appendChild(temporary);
      field = temporary;
    }
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    if (temporary) {
      document.body.removeChild(temporary);
    }
    return copied;
  }

  function announce(button, label) {
    if (!button.hasAttribute("data-copy-label")) {
      button.setAttribute("data-copy-label", button.textContent);
    }
    button.textContent = label;
    window.clearTimeout(button._civitasCopyTimer);
    button._civitasCopyTimer = window.setTimeout(function () {
      button.textContent = button.getAttribute("data-copy-label");
    }, 2000);
  }

  function copy(button) {
    var found = textToCopy(button);
    if (!found.text) {
      return;
    }
    var done = function () { announce(button, "Copied"); };
    var fallback = function () {
      announce(button, legacyCopy(found.text, found.source) ? "Copied" : "Select and copy it by hand");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(found.text).then(done, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!button) {
      return;
    }
    event.preventDefault();
    copy(button);
  });

  function reveal() {
    var buttons = document.querySelectorAll("[data-copy][hidden]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      if (!buttons[i].hasAttribute("aria-live")) {
        buttons[i].setAttribute("aria-live", "polite");
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
})();
