"""Pure normalisation functions used by the components."""
