// Signing in, even in another tab, rotates the CSRF token: a form sends the current one.
addEventListener("submit", (event) => {
  const token = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  const field = event.target.elements?.csrfmiddlewaretoken;
  if (token && field) field.value = decodeURIComponent(token[1]);
}, true);

// A textarea cannot break across printed pages: print its text as a block that can.
addEventListener("beforeprint", () => {
  for (const box of document.querySelectorAll("textarea")) {
    let copy = box.nextElementSibling;
    if (!copy?.matches(".print-copy")) box.after((copy = document.createElement("div")));
    copy.className = "print-copy";
    copy.textContent = box.value;
  }
});
