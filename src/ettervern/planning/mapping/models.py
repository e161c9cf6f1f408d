"""The mapping (kartlegging): life areas as data, rated by the clinician and by the patient."""
