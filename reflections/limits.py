# The longest reflection we keep: about 4,000 words, far beyond any prompt's
# needs, and small enough that every save stays fast. Enforced by the form, the
# save API and the textarea's maxlength.
REFLECTION_MAX_CHARS = 20_000
