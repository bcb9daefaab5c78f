// Post the chosen modules back to the learning system at once; without JS the Continue button does it.
document.querySelector("form[data-lti-return]")?.submit();
