"""Course structure: the manifest (which modules, in order), the module model read from each notebook (sections, activities, agendas), and the checks that keep its prose in step with its metadata."""
