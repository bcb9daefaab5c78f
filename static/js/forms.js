// Signing in, even in another tab, rotates the CSRF token: a form sends the current one.
addEventListener("submit", (event) => {
  const token = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  const field = event.target.elements?.csrfmiddlewaretoken;
  if (token && field) field.value = decodeURIComponent(token[1]);
}, true);
