"""Reports from users ("Zgłoś" on every page, guests too) and the staff queue that answers them."""
