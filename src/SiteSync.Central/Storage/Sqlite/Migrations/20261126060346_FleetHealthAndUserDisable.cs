using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SiteSync.Central.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FleetHealthAndUserDisable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "auth_failure_streak",
                table: "site",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "last_auth_failure_at",
                table: "site",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "last_error_at",
                table: "site",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error_event",
                table: "site",
                type: "TEXT",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error_message",
                table: "site",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_disabled",
                table: "app_user",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_site_log_at",
                table: "site_log",
                column: "at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_site_log_at",
                table: "site_log");

            migrationBuilder.DropColumn(
                name: "auth_failure_streak",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_auth_failure_at",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_error_at",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_error_event",
                table: "site");

            migrationBuilder.DropColumn(
                name: "last_error_message",
                table: "site");

            migrationBuilder.DropColumn(
                name: "is_disabled",
                table: "app_user");
        }
    }
}
