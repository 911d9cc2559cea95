"""iCal feeds (per space, provider, organisation and volunteer) live here."""
