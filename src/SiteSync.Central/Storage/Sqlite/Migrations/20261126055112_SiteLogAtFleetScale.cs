using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SiteSync.Central.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SiteLogAtFleetScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "idle_cycles",
                table: "site_log",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_site_log_at",
                table: "site_log",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_site_log_site_id_level_at",
                table: "site_log",
                columns: new[] { "site_id", "level", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_site_log_at",
                table: "site_log");

            migrationBuilder.DropIndex(
                name: "IX_site_log_site_id_level_at",
                table: "site_log");

            migrationBuilder.DropColumn(
                name: "idle_cycles",
                table: "site_log");
        }
    }
}
