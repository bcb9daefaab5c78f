// The role-play page: after a choice the page opens at the new scene (#now); move the
// keyboard and screen reader there too, so the next choice is one Tab away.
const now = document.getElementById("now");
if (now && location.hash === "#now") now.focus({ preventScroll: false });
