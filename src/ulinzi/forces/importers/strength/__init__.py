"""``ulinzi import strength``: force movements, pledges and authorisations from CSV."""
