using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SiteSync.Central.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Release3 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "central_cursor_reached",
                table: "site",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "source_seq",
                table: "push_buffer",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "central_cursor_reached",
                table: "site");

            migrationBuilder.DropColumn(
                name: "source_seq",
                table: "push_buffer");
        }
    }
}
