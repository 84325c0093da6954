"""The French reform's rules (BR-FR Flux 2), checked with the French option: on the
document (`documents`), its parties, its amounts and coherence between fields, with
the code lists they share (`codes`)."""
