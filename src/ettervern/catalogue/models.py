"""The offers catalogue: what each level (specialist care, municipality, NAV, next of kin)
offers, which plan measures pick from."""
