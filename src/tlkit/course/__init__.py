"""Course structure: the course manifest, the module model read from each notebook, agendas."""
