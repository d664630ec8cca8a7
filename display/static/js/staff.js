/* Officer and help desk: the signed-in session, its CSRF token and signing out. */
(function () {
  "use strict";
  const staff = { csrf: null, session: null };

  staff.load = async function () {
    try {
      staff.session = await window.XP.api("GET", "/api/v1/session");
    } catch (error) {
      if (error.status === 401) window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname + window.location.search));
      throw error;
    }
    staff.csrf = staff.session.csrf_token;
    return staff.session;
  };

  staff.post = function (path, body) {
    return window.XP.api("POST", path, body, { csrf: staff.csrf });
  };

  staff.message = function (text, isError) {
    const node = document.getElementById("message");
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  };

  const signOut = document.getElementById("sign-out");
  if (signOut) {
    signOut.addEventListener("click", async () => {
      await fetch("/logout", { method: "POST", headers: { "X-CSRF-Token": staff.csrf || "" }, credentials: "same-origin" });
      window.location.assign("/login");
    });
  }

  window.XP.staff = staff;
})();
