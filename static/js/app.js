// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // A form sent without htmx comes back as a whole page: take the user to its error summary,
  // as after an htmx swap, so the errors are announced and the field links are one Tab away.
  var pageSummary = document.querySelector(".error-summary");
  if (pageSummary) {
    pageSummary.focus();
  }

  // CSRF: htmx requests (including hx-post/hx-delete on buttons without a form) send the token.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  // Announce swapped content to screen readers: an element with data-announce inside the new
  // content has its text copied into the page's polite live region.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target || document.body;
    var source = target.matches && target.matches("[data-announce]")
      ? target
      : target.querySelector && target.querySelector("[data-announce]");
    var region = document.getElementById("live-region");
    if (source && region) {
      region.textContent = "";
      window.setTimeout(function () {
        region.textContent = source.getAttribute("data-announce") || source.textContent.trim();
      }, 50);
    }
    // After a form comes back with errors, move focus to its error summary.
    var summary = target.querySelector && target.querySelector(".error-summary");
    if (summary) {
      summary.focus();
      return;
    }
    // The control that asked for the swap was replaced (a "next week" link inside the swapped
    // part): focus would fall to the top of the page, so put it on the new content's heading.
    var active = document.activeElement;
    if (!active || active === document.body || !document.body.contains(active)) {
      var heading = target.querySelector && target.querySelector("h1, h2, h3, caption");
      var landing = heading || target;
      if (!landing.hasAttribute("tabindex")) {
        landing.setAttribute("tabindex", "-1");
      }
      landing.focus();
    }
  });

  // Errors the server refused to swap (5xx, 403...) are still told to the user.
  document.addEventListener("htmx:responseError", function (event) {
    var region = document.getElementById("live-region");
    var flash = document.getElementById("flash-messages");
    var text = document.documentElement.lang === "en"
      ? "Something went wrong. Please try again."
      : document.documentElement.lang === "uk"
        ? "Щось пішло не так. Спробуйте ще раз."
        : "Coś poszło nie tak. Spróbuj ponownie.";
    if (flash) {
      flash.innerHTML = "";
      var p = document.createElement("p");
      p.className = "flash flash-error";
      p.textContent = text;
      flash.appendChild(p);
    } else if (region) {
      region.textContent = text;
    }
  });

  // A wide screen has room for the filters: open their panel (CSS does it where the browser
  // supports ::details-content; this covers the others).
  // A swap that re-renders the panel (the organisations list does) keeps it as it was.
  var wide = window.matchMedia && window.matchMedia("(min-width: 48em)").matches;
  var panelWasOpen = false;
  function openFilterPanels(root) {
    root.querySelectorAll("details.filters-panel").forEach(function (panel) {
      if (wide || panelWasOpen) {
        panel.open = true;
      }
    });
  }
  openFilterPanels(document);
  document.addEventListener("htmx:beforeSwap", function () {
    var panel = document.querySelector("details.filters-panel");
    panelWasOpen = !!(panel && panel.open);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    openFilterPanels(event.detail.target || document);
  });

  // Auto-submit for selects marked data-autosubmit (e.g. the language switch) keeps the button
  // for keyboard and no-JS users.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.requestSubmit();
    }
  });

  // Copy buttons of calendar links: shown only where the clipboard can be used; the result is
  // announced in the live region.
  function showCopyButtons(root) {
    if (!navigator.clipboard) {
      return;
    }
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  }
  showCopyButtons(document);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-copy"));
    var region = document.getElementById("live-region");
    navigator.clipboard.writeText(field.value).then(function () {
      if (region) {
        region.textContent = button.getAttribute("data-copied");
      }
    }, function () {
      field.select();
    });
  });
})();
