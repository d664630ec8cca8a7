/* The printable result slip: a print button (not printed itself). */
(function () {
  "use strict";
  const button = document.getElementById("slip-print");
  if (button) button.addEventListener("click", () => window.print());
})();
