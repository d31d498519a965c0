"""One folder per call (or measure): calls/<call id with _ for ->/ holds its rules (its __init__.py,
which ends with CALL), its figures (params.json) and its cases (cases.yaml). A module whose name
starts with « _ » holds what several calls share (_indre_et_loire_common.py) and is no call."""
