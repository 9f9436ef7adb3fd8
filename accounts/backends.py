def axes_username(request, credentials):
    """Return the username django-axes counts failures against.

    School codes are case-insensitive, so "bba5008" and "BBA5008" must share
    one failure count, or a lockout could be dodged by changing case.
    """
    username = (credentials or {}).get("username") or ""
    if not username and request is not None:
        username = request.POST.get("username", "")
    return username.strip().upper()
