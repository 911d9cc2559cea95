"""Agreements with volunteers (art. 44 of the act of 24 April 2003, Dz.U. 2024 poz. 1491):
the organisation's editable template, the agreement generated for each engagement, its online
acceptance by both parties and the record of the written (signed) copy."""
