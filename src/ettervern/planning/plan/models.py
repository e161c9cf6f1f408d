"""The individual plan (individuell plan): sections as data, measures, versions, the patient's
consent to the plan."""
