// Behaviour every page shares, kept out of the HTML: the Content-Security-Policy
// allows no inline scripts or event-handler attributes.
(function () {
  // <select data-autosubmit>: choosing an option submits its form (e.g. the year).
  document.addEventListener("change", function (event) {
    const field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.requestSubmit();
  });
  // <button data-print-page>: print this page (e.g. a trainee's first-password slip).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print-page]")) window.print();
  });
})();
