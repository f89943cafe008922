"""Terminal views shared by several commands: the forecast table, the durability report."""
